// ck_bench_null_server: an HTTP server that answers every request with 200 "{}" at once.
//
// It measures the load generator itself: whatever ck_dynamodb_load reaches against it is the
// ceiling the client imposes (on this machine, sharing the CPU with this server).
//
//   ck_bench_null_server [--listen-port 0] [--ready-file FILE]
//   # prints "http://127.0.0.1:PORT" on stdout (and writes it plus a newline to FILE)
//
// Thread-safety: one io_context on the main thread.
#include <utility>  // Boost 1.74's asio/awaitable.hpp needs it first under g++ 12.

#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "http/message.h"
#include "http/server.h"

int main(int argc, char** argv) {
  int port = 0;
  std::string ready_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--listen-port") {
      port = std::atoi(argv[i + 1]);
    } else if (flag == "--ready-file") {
      ready_file = argv[i + 1];
    } else {
      std::fprintf(stderr, "usage: ck_bench_null_server [--listen-port N] [--ready-file F]\n");
      return 2;
    }
  }
  boost::asio::io_context io(1);
  ck::http::HttpServer server(
      io, ck::http::ServerOptions{},
      [](ck::http::HttpRequest) -> boost::asio::awaitable<ck::http::HttpResponse> {
        co_return ck::http::MakeResponse(ck::http::HttpStatus::ok, "application/x-amz-json-1.0",
                                         "{}");
      });
  auto endpoint = server.Listen("127.0.0.1", static_cast<uint16_t>(port));
  if (!endpoint.ok()) {
    std::fprintf(stderr, "ck_bench_null_server: %s\n", endpoint.status().ToString().c_str());
    return 1;
  }
  std::string url = "http://127.0.0.1:" + std::to_string(endpoint->port());
  std::printf("%s\n", url.c_str());
  std::fflush(stdout);
  if (!ready_file.empty()) {
    std::ofstream(ready_file + ".tmp") << url << "\n";
    std::rename((ready_file + ".tmp").c_str(), ready_file.c_str());
  }
  server.Start();
  io.run();
  return 0;
}
