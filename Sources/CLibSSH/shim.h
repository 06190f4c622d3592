#ifndef WINAUDIT_CLIBSSH_SHIM_H
#define WINAUDIT_CLIBSSH_SHIM_H
#include <libssh/libssh.h>
// ssh_set_log_callback: libssh's own log at -vvv.
#include <libssh/callbacks.h>
#endif
