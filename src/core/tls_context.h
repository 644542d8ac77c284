// TLS contexts (OpenSSL via Asio) for our servers and clients.
//
// Server: certificate chain + private key from PEM files. Client: verify peers against a CA
// bundle file (AWS_CA_BUNDLE, our local CA) or the system store, with host-name checking.
//
// Thread-safety: a context may be shared by many connections after creation.
// Failure modes: unreadable or invalid PEM files return kInvalidArgument naming the file and the
// OpenSSL reason.
#pragma once

#include <utility>

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace ck {

Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& certificate_chain_file, const std::string& private_key_file);

// `ca_bundle_file` empty = system default verify paths.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeClientTlsContext(
    const std::string& ca_bundle_file);

// Creates a self-signed CA and a server certificate for `host_names` (SANs; IP literals become
// IP SANs) signed by it, as PEM files under `directory` (ca.pem, ca-key.pem, server.pem,
// server-key.pem). Existing files are kept. Used by `ck dynamodb --tls-auto` and `ck up`.
Status EnsureLocalCertificates(const std::string& directory,
                               const std::vector<std::string>& host_names);

// Text of the most recent OpenSSL error for messages, e.g. "certificate verify failed".
std::string OpenSslErrorText(unsigned long error_code);

}  // namespace ck
