#include "store/api/idempotency_tokens.h"

namespace ck::store::api {

IdempotencyTokens::Lookup IdempotencyTokens::Find(std::string_view token,
                                                  std::string_view request_digest,
                                                  std::chrono::system_clock::time_point now) {
  DropExpired(now);
  auto it = by_token_.find(token);
  if (it == by_token_.end()) return {};
  const Entry& entry = *it->second;
  if (entry.request_digest != request_digest) return {Match::kOtherRequest, {}};
  return {Match::kSameRequest, entry.response};
}

void IdempotencyTokens::Remember(std::string token, std::string request_digest,
                                 std::string response, std::chrono::system_clock::time_point now) {
  DropExpired(now);
  if (capacity_ == 0 || by_token_.count(token) != 0) return;
  while (by_token_.size() >= capacity_) {
    by_token_.erase(entries_.front().token);
    entries_.pop_front();
  }
  entries_.push_back(
      {std::move(token), std::move(request_digest), std::move(response), now + kWindow});
  by_token_.emplace(entries_.back().token, std::prev(entries_.end()));
}

void IdempotencyTokens::DropExpired(std::chrono::system_clock::time_point now) {
  // Entries are appended in call order, so expiries ascend (unless the wall clock stepped back,
  // which at worst keeps a token a little longer).
  while (!entries_.empty() && entries_.front().expires <= now) {
    by_token_.erase(entries_.front().token);
    entries_.pop_front();
  }
}

}  // namespace ck::store::api
