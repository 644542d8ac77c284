// OffloadTo: run blocking work (SQLite, disk) on another executor and resume the calling
// coroutine on its own executor with the result.
//
//   HttpResponse response = co_await OffloadTo(worker.get_executor(), [&] { return Handle(r); });
//
// The function runs on `executor`; the awaiting coroutine resumes on its own executor, so I/O
// threads never block. Thread-safety: whatever `fn` touches must be safe to use from the worker.
#pragma once

#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <type_traits>

namespace ck::http {

template <typename Executor, typename Fn>
boost::asio::awaitable<std::invoke_result_t<Fn>> OffloadTo(Executor executor, Fn fn) {
  using T = std::invoke_result_t<Fn>;
  // The function and its result stay in this coroutine's frame; only pointers travel through
  // Asio's initiation. g++ 12 corrupts non-trivially-copyable objects captured in the
  // initiation that Boost 1.74's use_awaitable takes by value (seen as a bad free of a
  // captured HttpRequest).
  std::optional<T> result;
  Fn* function = &fn;
  std::optional<T>* out = &result;
  co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void()>(
      [executor, function, out](auto handler) {
        boost::asio::post(executor, [function, out, handler = std::move(handler)]() mutable {
          out->emplace((*function)());
          auto resume_on = boost::asio::get_associated_executor(handler);
          boost::asio::post(resume_on, std::move(handler));
        });
      },
      boost::asio::use_awaitable);
  co_return std::move(*result);
}

}  // namespace ck::http
