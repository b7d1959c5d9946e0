#include "replay-error.h"

#include "banned.h"

/*
 * Spelled out rather than G_DEFINE_QUARK(swaptrace-replay-error-quark, ...):
 * clang-format puts spaces around the dashes of the macro argument, and the
 * macro stringifies them into the quark's name.
 */
GQuark replay_error_quark(void)
{
	return g_quark_from_static_string("swaptrace-replay-error-quark");
}
