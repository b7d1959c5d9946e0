#include "replay-error.h"

G_DEFINE_QUARK(swaptrace - replay - error - quark, replay_error)
