import Foundation

/// A dedicated OS thread that runs one connection's blocking libssh calls, one job at a time.
///
/// The Swift concurrency pool has one thread per core and never grows, so a blocking `ssh_connect` or channel read on
/// it would stall unrelated tasks. Each connection owns one of these instead; async callers hand work over with
/// `perform` and are resumed when it finishes. Jobs run in submission order, which also guarantees that a libssh
/// session is only ever used by one thread.
final class SSHWorkerThread: @unchecked Sendable {
  // `condition` guards `jobs` and `isStopping`.
  private let condition = NSCondition()
  private var jobs: [@Sendable () -> Void] = []
  private var isStopping = false

  init(name: String) {
    let thread = Thread { [self] in runLoop() }
    thread.name = name
    thread.start()
  }

  /// Queues `job`; returns false when the worker has been stopped and will run nothing more.
  @discardableResult
  func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    if isStopping { return false }
    jobs.append(job)
    condition.signal()
    return true
  }

  /// Lets the queued jobs finish, then ends the thread. Later submissions are refused.
  func stop() {
    condition.lock()
    isStopping = true
    condition.signal()
    condition.unlock()
  }

  /// Runs `body` on the worker thread and returns its result to the awaiting task.
  ///
  /// `body` receives a flag that turns true when the awaiting task is cancelled, so long loops can give up early.
  func perform<T: Sendable>(
    _ body: @escaping @Sendable (CancellationFlag) throws(SSHError) -> T,
    ifStopped stoppedError: @autoclosure () -> SSHError
  ) async throws(SSHError) -> T {
    let flag = CancellationFlag()
    let error = stoppedError()
    let result: Result<T, SSHError> = await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, SSHError>, Never>) in
        let accepted = submit {
          do throws(SSHError) {
            continuation.resume(returning: .success(try body(flag)))
          } catch {
            continuation.resume(returning: .failure(error))
          }
        }
        if !accepted { continuation.resume(returning: .failure(error)) }
      }
    } onCancel: {
      flag.cancel()
    }
    return try result.get()
  }

  private func runLoop() {
    while true {
      condition.lock()
      while jobs.isEmpty && !isStopping { condition.wait() }
      if jobs.isEmpty {
        condition.unlock()
        return
      }
      let job = jobs.removeFirst()
      condition.unlock()
      job()
    }
  }
}

/// A thread-safe "the caller gave up" flag shared between an awaiting task and the worker thread.
final class CancellationFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var cancelled = false

  var isCancelled: Bool {
    lock.lock()
    defer { lock.unlock() }
    return cancelled
  }

  func cancel() {
    lock.lock()
    cancelled = true
    lock.unlock()
  }
}
