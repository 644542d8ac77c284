// Fuzzes the DynamoDB protocol handler: input is "<Operation>|<JSON body>". Every input must
// produce a well-formed HTTP response (DynamoDB's error shape for bad input), never a crash, a
// hang or a leak. The service runs on a real SQLite file in a temporary directory, with
// signature verification off so the fuzzer reaches request decoding and the operations.
#include <unistd.h>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "store/api/dynamodb_service.h"

namespace {

ck::store::api::DynamoDbService& Service() {
  static std::unique_ptr<ck::store::api::DynamoDbService> service = [] {
    auto dir =
        std::filesystem::temp_directory_path() / ("ck-dynamodb-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    ck::store::api::DynamoDbOptions options;
    options.data_path = (dir / "fuzz.sqlite3").string();
    options.verify_signatures = false;
    auto opened = ck::store::api::DynamoDbService::Open(options);
    if (!opened.ok()) std::abort();
    std::atexit([] {
      std::filesystem::remove_all(std::filesystem::temp_directory_path() /
                                  ("ck-dynamodb-fuzz-" + std::to_string(::getpid())));
    });
    return std::move(*opened);
  }();
  return *service;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto bar = input.find('|');
  std::string operation(bar == std::string_view::npos ? "PutItem" : input.substr(0, bar));
  std::string body(bar == std::string_view::npos ? input : input.substr(bar + 1));
  ck::http::HttpRequest request(ck::http::Verb::post, "/", 11);
  request.set("X-Amz-Target", "DynamoDB_20120810." + operation);
  request.set(ck::http::Field::content_type, "application/x-amz-json-1.0");
  request.body() = std::move(body);
  request.prepare_payload();
  ck::http::HttpResponse response = Service().Handle(request);
  // Every answer is a complete DynamoDB response; bad input is the client's error (400), so a
  // 500 here means the server failed on input it should have rejected.
  if (response.result_int() != 200 && response.result_int() != 400) std::abort();
  if (response.find("x-amzn-RequestId") == response.end()) std::abort();
  return 0;
}
