// Residents: the application's data shared by the APIs — a retired server as a DynamoDB item and
// as the JSON the APIs answer with; the residents table's creation and its seed data.
//
// Table: hash key `ckid` (S), on-demand billing. Attributes: ckid, name, type, os, petname, image
// (S) and service, happiness (N). In JSON every resident has all eight fields: strings default to
// "" and numbers to 0 when the item lacks them, so clients never meet a missing key.
//
//   nlohmann::json json = ResidentJson(item);  // {"ckid":"ck1","name":"ig.nore.me",...}
//   auto init = co_await EnsureResidentTable(client, "cuddlykube", /*seed_existing=*/false);
//
// Pictures are site-relative URLs served by public-site: kResidentImages lists them.
//
// Requests name a resident by `ckid` (CkidFromRequest: at most kMaxCkidBytes), and a failed
// datastore call is answered with DatastoreErrorResponse: 400 when the datastore refused the
// request as invalid, 502 when the datastore itself failed. A handler answering 5xx because of a
// datastore failure records it on its segment with RecordDatastoreFault, so the trace shows the
// cause (e.g. the TLS error) on the service's own segment as well as on the DynamoDB call.
//
// Thread-safety: pure functions, except EnsureResidentTable/InitResidentTable, which use the
// client on its executor.
// Failure modes: EnsureResidentTable returns the datastore's Status ("TlsError: ...").
#pragma once

#include <utility>

#include <array>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "aws/dynamodb_client.h"
#include "core/status.h"
#include "http/message.h"
#include "services/common/service_config.h"
#include "store/attribute_value.h"
#include "telemetry/tracer.h"

namespace ck::services {

struct ServiceContext;

// The pictures a resident may get by default; public-site serves them under /img/.
inline constexpr std::array<std::string_view, 6> kResidentImages = {
    "/img/server-1.svg", "/img/server-2.svg", "/img/server-3.svg",
    "/img/server-4.svg", "/img/server-5.svg", "/img/server-6.svg"};

// The longest ckid the APIs accept, in bytes. Ids we generate are 32 hex digits and the seeds
// are "ck1".."ck6"; DynamoDB refuses hash keys over 2048 bytes, far above this.
inline constexpr size_t kMaxCkidBytes = 128;

// The request's `ckid`: a non-empty string of at most kMaxCkidBytes bytes. Otherwise
// kInvalidArgument "ckid must be a non-empty string of at most 128 bytes".
Result<std::string> CkidFromRequest(const nlohmann::json& body);

// The answer for a failed datastore call, {"error": "<Type>: <message>"}: 400 for a
// ValidationException (the datastore refused what the client sent), 502 for everything else
// (unreachable, TLS, 5xx, missing table, ...).
http::HttpResponse DatastoreErrorResponse(const Status& status);

// Records the failed datastore call's error (AwsErrorFrom: type and message; remote unless the
// client raised it itself, e.g. TlsError) as a cause of the request's segment, marking it a fault.
void RecordDatastoreFault(telemetry::RequestSpan* span, const Status& status);

// The resident as API JSON (see above). Numbers are JSON numbers.
nlohmann::json ResidentJson(const store::Item& item);

// A DynamoDB number's text as a JSON number (integer when it is one); 0 when unparsable.
nlohmann::json NumberJson(std::string_view number_text);

// The default picture for a resident with this id (stable for a given id).
std::string DefaultImageFor(std::string_view ckid);

// The seed residents, including the workshop's ck1 "ig.nore.me".
std::vector<store::Item> SeedResidents();

struct TableInit {
  bool created = false;  // this call created the table
  size_t seeded = 0;     // seed residents written (existing ckids are never overwritten)
};

// Creates `table` if missing and waits until it is ACTIVE. Seeds it when this call created it,
// or always when `seed_existing` (seed items whose ckid exists already are left alone). Safe to
// run from several processes at once: only the one whose CreateTable succeeded seeds.
boost::asio::awaitable<Result<TableInit>> EnsureResidentTable(aws::DynamoDbClient* client,
                                                              std::string table,
                                                              bool seed_existing);

// The start hook of the datastore services: EnsureResidentTable unless CK_INIT_TABLE is off;
// logs the outcome and never fails the service.
boost::asio::awaitable<void> InitResidentTable(ServiceContext* context);

// Blocking EnsureResidentTable for `ck serve seed`, with the datastore from `config`.
Result<TableInit> EnsureResidentTableBlocking(const ServiceConfig& config, bool seed_existing);

}  // namespace ck::services
