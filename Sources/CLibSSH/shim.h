#ifndef WINAUDIT_CLIBSSH_SHIM_H
#define WINAUDIT_CLIBSSH_SHIM_H
#include <libssh/libssh.h>
#endif
