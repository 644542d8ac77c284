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
#include <type_traits>

namespace ck::http {

template <typename Executor, typename Fn>
boost::asio::awaitable<std::invoke_result_t<Fn>> OffloadTo(Executor executor, Fn fn) {
  using T = std::invoke_result_t<Fn>;
  co_return co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(T)>(
      [executor, fn = std::move(fn)](auto handler) mutable {
        boost::asio::post(executor, [fn = std::move(fn), handler = std::move(handler)]() mutable {
          T result = fn();
          auto resume_on = boost::asio::get_associated_executor(handler);
          boost::asio::post(resume_on, [handler = std::move(handler),
                                        result = std::move(result)]() mutable {
            std::move(handler)(std::move(result));
          });
        });
      },
      boost::asio::use_awaitable);
}

}  // namespace ck::http
