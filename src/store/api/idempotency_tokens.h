// IdempotencyTokens: what TransactWriteItems remembers about ClientRequestTokens.
//
// DynamoDB answers a TransactWriteItems that repeats the ClientRequestToken and the parameters
// of a successful call within 10 minutes of that call with success, without writing again; the
// same token with other parameters in that window is an IdempotentParameterMismatchException.
// This class remembers, per token of a successful call, a digest of its request and the response
// it got, until kWindow after the call. Memory stays bounded whatever clients send: at most
// `capacity` tokens are kept, and when full the oldest one (the next to expire) is dropped, so a
// flood of new tokens can only shorten the window of old ones. Times come from the caller, i.e.
// the service's clock seam. Tokens live in memory only; a restart forgets them.
//
//   auto seen = tokens.Find(token, digest, now);
//   if (seen.match == IdempotencyTokens::Match::kSameRequest) return seen.response;
//   if (seen.match == IdempotencyTokens::Match::kOtherRequest) return <mismatch error>;
//   ... run the transaction ...
//   tokens.Remember(token, digest, response, now);
//
// Thread-safety: none; the service's worker thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ck::store::api {

class IdempotencyTokens {
 public:
  static constexpr std::chrono::minutes kWindow{10};
  static constexpr size_t kDefaultCapacity = 10000;

  explicit IdempotencyTokens(size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  enum class Match {
    kNone,          // unknown or expired token: run the request
    kSameRequest,   // a repeat: answer `response` without running it again
    kOtherRequest,  // the token was used for different parameters
  };
  struct Lookup {
    Match match = Match::kNone;
    std::string response;  // kSameRequest: the first call's response body
  };

  // `request_digest` identifies the request's parameters (any stable hash of them).
  Lookup Find(std::string_view token, std::string_view request_digest,
              std::chrono::system_clock::time_point now);
  // Records a successful call made at `now`. A token already remembered keeps its first entry.
  void Remember(std::string token, std::string request_digest, std::string response,
                std::chrono::system_clock::time_point now);

  size_t size() const { return by_token_.size(); }

 private:
  struct Entry {
    std::string token;
    std::string request_digest;
    std::string response;
    std::chrono::system_clock::time_point expires;
  };
  void DropExpired(std::chrono::system_clock::time_point now);

  size_t capacity_;
  std::list<Entry> entries_;  // oldest (soonest to expire) first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> by_token_;  // keys view entries_
};

}  // namespace ck::store::api
