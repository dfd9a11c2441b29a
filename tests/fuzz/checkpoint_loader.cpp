// Fuzz harness: Trainer::load_checkpoint on arbitrary bytes, against a small model (an MLP with
// AdamW, as `lathe train` builds). The seed corpus holds a real checkpoint
// of this setup, so mutations reach the state-dict checks and not only the file format. A
// refused checkpoint must change nothing (the loader's contract); an accepted one is saved
// again, which must succeed.
#include <cstdlib>

#include "lathe.h"
#include "models/trainer.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

struct Setup {
  lathe::nn::MLP model{4, {3}, 2};
  lathe::optim::AdamW opt{model.parameters(), 1e-3};
  lathe::train::Trainer trainer{model, opt, [](const lathe::Tensor& logits,
                                               const lathe::data::Batch& b) {
                                  return lathe::cross_entropy(logits, b[1]);
                                }};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Setup* setup = [] {  // one model for the whole run, never destroyed
    auto* s = new Setup();
    // How corpus/checkpoint_loader/checkpoint was made: a checkpoint of this very setup.
    if (const char* seed = std::getenv("LATHE_FUZZ_WRITE_SEED")) s->trainer.save_checkpoint(seed);
    return s;
  }();
  std::string path = lathe::fuzz::scratch_file(data, size, ".safetensors");
  std::vector<float> before = setup->model.parameters()[0].to_vector<float>();
  try {
    setup->trainer.load_checkpoint(path);
    setup->trainer.save_checkpoint(path + ".out.safetensors");
  } catch (const lathe::Error&) {
    if (setup->model.parameters()[0].to_vector<float>() != before) std::abort();  // half-loaded
  }
  return 0;
}
