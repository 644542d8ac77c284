#include "core/tls_context.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <functional>
#include <memory>

namespace ck {

namespace ssl = boost::asio::ssl;

std::string OpenSslErrorText(unsigned long error_code) {
  if (error_code == 0) return "unknown TLS error";
  const char* reason = ERR_reason_error_string(error_code);
  if (reason != nullptr) return reason;
  char buffer[256];
  ERR_error_string_n(error_code, buffer, sizeof(buffer));
  return buffer;
}

Result<std::shared_ptr<ssl::context>> MakeServerTlsContext(
    const std::string& certificate_chain_file, const std::string& private_key_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  boost::system::error_code error;
  context->use_certificate_chain_file(certificate_chain_file, error);
  if (error) {
    return InvalidArgument("cannot load TLS certificate " + certificate_chain_file + ": " +
                           error.message());
  }
  context->use_private_key_file(private_key_file, ssl::context::pem, error);
  if (error) {
    return InvalidArgument("cannot load TLS private key " + private_key_file + ": " +
                           error.message());
  }
  return context;
}

Result<std::shared_ptr<ssl::context>> MakeClientTlsContext(const std::string& ca_bundle_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1);
  context->set_verify_mode(ssl::verify_peer);
  boost::system::error_code error;
  if (ca_bundle_file.empty()) {
    context->set_default_verify_paths(error);
  } else {
    context->load_verify_file(ca_bundle_file, error);
  }
  if (error) {
    return InvalidArgument("cannot load CA bundle " +
                           (ca_bundle_file.empty() ? std::string("(system)") : ca_bundle_file) +
                           ": " + error.message());
  }
  return context;
}

namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

PkeyPtr GenerateKey() { return PkeyPtr(EVP_EC_gen("P-256")); }

Status WritePem(const std::string& path, const std::function<int(FILE*)>& write) {
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return Internal("cannot write " + path);
  int ok = write(file);
  std::fclose(file);
  if (ok != 1) return Internal("cannot encode " + path);
  return Status::Ok();
}

Result<PkeyPtr> ReadKey(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return InvalidArgument("cannot read " + path);
  PkeyPtr key(PEM_read_PrivateKey(file, nullptr, nullptr, nullptr));
  std::fclose(file);
  if (!key) return InvalidArgument("invalid private key in " + path);
  return key;
}

Result<X509Ptr> ReadCertificate(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return InvalidArgument("cannot read " + path);
  X509Ptr cert(PEM_read_X509(file, nullptr, nullptr, nullptr));
  std::fclose(file);
  if (!cert) return InvalidArgument("invalid certificate in " + path);
  return cert;
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  if (extension != nullptr) {
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
  }
}

X509Ptr NewCertificate(EVP_PKEY* key, const std::string& common_name, long valid_days) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  std::string serial = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  BIGNUM* number = nullptr;
  BN_dec2bn(&number, serial.c_str());
  BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert.get()));
  BN_free(number);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), valid_days * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Cuddle Kube local"), -1, -1,
                             0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  return cert;
}

bool IsIpLiteral(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

}  // namespace

Status EnsureLocalCertificates(const std::string& directory,
                               const std::vector<std::string>& host_names) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) return Internal("cannot create " + directory + ": " + error.message());
  const std::string ca_path = directory + "/ca.pem";
  const std::string ca_key_path = directory + "/ca-key.pem";
  const std::string server_path = directory + "/server.pem";
  const std::string server_key_path = directory + "/server-key.pem";

  PkeyPtr ca_key;
  X509Ptr ca_cert;
  if (fs::exists(ca_path) && fs::exists(ca_key_path)) {
    CK_ASSIGN_OR_RETURN(ca_key, ReadKey(ca_key_path));
    CK_ASSIGN_OR_RETURN(ca_cert, ReadCertificate(ca_path));
  } else {
    ca_key = GenerateKey();
    if (!ca_key) return Internal("cannot generate CA key");
    ca_cert = NewCertificate(ca_key.get(), "Cuddle Kube local CA", 3650);
    X509_set_issuer_name(ca_cert.get(), X509_get_subject_name(ca_cert.get()));
    AddExtension(ca_cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(ca_cert.get(), ca_cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    AddExtension(ca_cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash");
    if (X509_sign(ca_cert.get(), ca_key.get(), EVP_sha256()) == 0) {
      return Internal("cannot sign CA certificate");
    }
    CK_RETURN_IF_ERROR(WritePem(ca_key_path, [&](FILE* f) {
      return PEM_write_PrivateKey(f, ca_key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    }));
    fs::permissions(ca_key_path, fs::perms::owner_read | fs::perms::owner_write, error);
    CK_RETURN_IF_ERROR(WritePem(ca_path, [&](FILE* f) { return PEM_write_X509(f, ca_cert.get()); }));
    fs::remove(server_path, error);
  }
  if (fs::exists(server_path) && fs::exists(server_key_path)) return Status::Ok();

  PkeyPtr server_key = GenerateKey();
  if (!server_key) return Internal("cannot generate server key");
  std::string common_name = host_names.empty() ? "localhost" : host_names.front();
  X509Ptr server_cert = NewCertificate(server_key.get(), common_name, 825);
  X509_set_issuer_name(server_cert.get(), X509_get_subject_name(ca_cert.get()));
  std::string alt_names;
  for (const auto& host : host_names) {
    if (!alt_names.empty()) alt_names += ",";
    alt_names += (IsIpLiteral(host) ? "IP:" : "DNS:") + host;
  }
  AddExtension(server_cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(server_cert.get(), ca_cert.get(), NID_key_usage,
               "critical,digitalSignature,keyEncipherment");
  AddExtension(server_cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth");
  if (!alt_names.empty()) {
    AddExtension(server_cert.get(), ca_cert.get(), NID_subject_alt_name, alt_names);
  }
  if (X509_sign(server_cert.get(), ca_key.get(), EVP_sha256()) == 0) {
    return Internal("cannot sign server certificate");
  }
  CK_RETURN_IF_ERROR(WritePem(server_key_path, [&](FILE* f) {
    return PEM_write_PrivateKey(f, server_key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  }));
  fs::permissions(server_key_path, fs::perms::owner_read | fs::perms::owner_write, error);
  return WritePem(server_path, [&](FILE* f) {
    return PEM_write_X509(f, server_cert.get()) == 1 && PEM_write_X509(f, ca_cert.get()) == 1 ? 1
                                                                                              : 0;
  });
}

}  // namespace ck
