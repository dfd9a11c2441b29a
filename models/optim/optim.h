// lathe::optim: optimizers, learning-rate schedulers and gradient clipping (models/README.md).
#pragma once

#include "models/optim/adam.h"
#include "models/optim/adamp.h"
#include "models/optim/adamw.h"
#include "models/optim/clip.h"
#include "models/optim/lbfgs.h"
#include "models/optim/lr_scheduler.h"
#include "models/optim/normalized_lr_gd.h"
#include "models/optim/optimizer.h"
#include "models/optim/sgd.h"
#include "models/optim/sgdp.h"
#include "models/optim/sso_surrogate.h"
