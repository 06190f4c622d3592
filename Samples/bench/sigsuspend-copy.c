/* Preloaded only under valgrind by Samples/bench/profile.sh. Valgrind 3.19 (Debian 12) edits the signal mask passed
 * to sigsuspend in place; libdispatch's main thread passes a mask that lives in read-only memory, so valgrind crashes
 * ("Valgrind received a signal 11") as soon as winaudit's main thread parks. Passing a copy changes nothing else. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
  sigset_t copy = *mask;
  return (int)syscall(SYS_rt_sigsuspend, &copy, _NSIG / 8);
}
