#include "replay-error.h"

#include "banned.h"

G_DEFINE_QUARK(swaptrace - replay - error - quark, replay_error)
