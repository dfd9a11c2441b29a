// lathe: a small C++17 tensor and reverse-mode autograd engine. Include this one header.
#pragma once

#include "core/autograd.h"
#include "core/backend_registry.h"
#include "core/gradcheck.h"
#include "core/npy.h"
#include "core/random.h"
#include "core/registry.h"
#include "core/safetensors.h"
#include "core/tensor.h"
#include "models/data/data.h"
#include "models/kan/kan.h"
#include "models/linear.h"
#include "models/module.h"
#include "models/norm/norm.h"
#include "ops/kan/kan.h"
#include "ops/norm/norm.h"
#include "ops/ops.h"
