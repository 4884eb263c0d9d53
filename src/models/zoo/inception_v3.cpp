// Inception-v3 (Szegedy et al. 2016) as torchvision defines it, without the
// auxiliary classifier (inference form). Every conv is conv -> BN (eps 1e-3)
// -> ReLU; the input re-normalisation torchvision applies to ImageNet weights
// (transform_input) is preprocessing, not part of the network.
#include "models/zoo/zoo_family.h"

namespace fb::zoo {
namespace {

ValueId cbr(GraphBuilder& b, ValueId x, const ConvSpec& spec, const std::string& name) {
  return b.conv_bn_act(x, spec, ActKind::ReLU, name);
}
ConvSpec k1x7(int c) { return conv(c, 1).kernel(1, 7); }
ConvSpec k7x1(int c) { return conv(c, 1).kernel(7, 1); }

// The pooling branch of A, C and E: 3x3 average (padding counted, as
// torchvision's F.avg_pool2d default) then 1x1.
ValueId pool_branch(GraphBuilder& b, ValueId x, int channels) {
  return cbr(b, b.avg_pool(x, 3, 1, 1, true, "pool"), conv(channels, 1), "pool_proj");
}

ValueId block_a(GraphBuilder& b, ValueId x, int pool_features) {
  ValueId b1 = cbr(b, x, conv(64, 1), "b1x1");
  ValueId b5 = cbr(b, cbr(b, x, conv(48, 1), "b5x5_1"), conv(64, 5), "b5x5_2");
  ValueId b3 = cbr(b, x, conv(64, 1), "b3x3dbl_1");
  b3 = cbr(b, cbr(b, b3, conv(96, 3), "b3x3dbl_2"), conv(96, 3), "b3x3dbl_3");
  return b.concat({b1, b5, b3, pool_branch(b, x, pool_features)});
}

ValueId block_b(GraphBuilder& b, ValueId x) {
  ValueId b3 = cbr(b, x, conv(384, 3).stride(2).pad(0), "b3x3");
  ValueId d = cbr(b, x, conv(64, 1), "b3x3dbl_1");
  d = cbr(b, cbr(b, d, conv(96, 3), "b3x3dbl_2"), conv(96, 3).stride(2).pad(0), "b3x3dbl_3");
  return b.concat({b3, d, b.max_pool(x, 3, 2, 0, "pool")});
}

ValueId block_c(GraphBuilder& b, ValueId x, int c7) {
  ValueId b1 = cbr(b, x, conv(192, 1), "b1x1");
  ValueId s = cbr(b, x, conv(c7, 1), "b7x7_1");
  s = cbr(b, cbr(b, s, k1x7(c7), "b7x7_2"), k7x1(192), "b7x7_3");
  ValueId d = cbr(b, x, conv(c7, 1), "b7x7dbl_1");
  d = cbr(b, cbr(b, d, k7x1(c7), "b7x7dbl_2"), k1x7(c7), "b7x7dbl_3");
  d = cbr(b, cbr(b, d, k7x1(c7), "b7x7dbl_4"), k1x7(192), "b7x7dbl_5");
  return b.concat({b1, s, d, pool_branch(b, x, 192)});
}

ValueId block_d(GraphBuilder& b, ValueId x) {
  ValueId b3 = cbr(b, cbr(b, x, conv(192, 1), "b3x3_1"), conv(320, 3).stride(2).pad(0), "b3x3_2");
  ValueId s = cbr(b, x, conv(192, 1), "b7x7x3_1");
  s = cbr(b, cbr(b, s, k1x7(192), "b7x7x3_2"), k7x1(192), "b7x7x3_3");
  s = cbr(b, s, conv(192, 3).stride(2).pad(0), "b7x7x3_4");
  return b.concat({b3, s, b.max_pool(x, 3, 2, 0, "pool")});
}

ValueId block_e(GraphBuilder& b, ValueId x) {
  ValueId b1 = cbr(b, x, conv(320, 1), "b1x1");
  ValueId s = cbr(b, x, conv(384, 1), "b3x3_1");
  ValueId s_a = cbr(b, s, conv(384, 1).kernel(1, 3), "b3x3_2a");
  ValueId s_b = cbr(b, s, conv(384, 1).kernel(3, 1), "b3x3_2b");
  ValueId d = cbr(b, cbr(b, x, conv(448, 1), "b3x3dbl_1"), conv(384, 3), "b3x3dbl_2");
  ValueId d_a = cbr(b, d, conv(384, 1).kernel(1, 3), "b3x3dbl_3a");
  ValueId d_b = cbr(b, d, conv(384, 1).kernel(3, 1), "b3x3dbl_3b");
  return b.concat({b1, s_a, s_b, d_a, d_b, pool_branch(b, x, 192)});
}

Graph build(const ZooConfig& c, int64_t batch) {
  GraphBuilder b("inception_v3", Shape{batch, 3, c.res, c.res});
  b.set_batch_norm_eps(1e-3f);
  ValueId x = cbr(b, b.input(), conv(32, 3).stride(2).pad(0), "Conv2d_1a_3x3");
  x = cbr(b, x, conv(32, 3).pad(0), "Conv2d_2a_3x3");
  x = cbr(b, x, conv(64, 3), "Conv2d_2b_3x3");
  x = b.max_pool(x, 3, 2, 0, "maxpool1");
  x = cbr(b, x, conv(80, 1), "Conv2d_3b_1x1");
  x = cbr(b, x, conv(192, 3).pad(0), "Conv2d_4a_3x3");
  x = b.max_pool(x, 3, 2, 0, "maxpool2");
  auto scoped = [&](const char* name, auto&& f) {
    NameScope scope(b, name);
    x = f();
  };
  scoped("Mixed_5b", [&] { return block_a(b, x, 32); });
  scoped("Mixed_5c", [&] { return block_a(b, x, 64); });
  scoped("Mixed_5d", [&] { return block_a(b, x, 64); });
  scoped("Mixed_6a", [&] { return block_b(b, x); });
  scoped("Mixed_6b", [&] { return block_c(b, x, 128); });
  scoped("Mixed_6c", [&] { return block_c(b, x, 160); });
  scoped("Mixed_6d", [&] { return block_c(b, x, 160); });
  scoped("Mixed_6e", [&] { return block_c(b, x, 192); });
  scoped("Mixed_7a", [&] { return block_d(b, x); });
  scoped("Mixed_7b", [&] { return block_e(b, x); });
  scoped("Mixed_7c", [&] { return block_e(b, x); });
  return b.finish(classifier(b, x, c.classes));
}

}  // namespace

std::vector<ModelDef> inception_v3_models() {
  return {zoo_def("inception_v3", "Inception-v3: factorized 1x7/7x1 and 1x3/3x1 convs, no aux head (Szegedy 2016)",
                  299, 75, build)};
}

}  // namespace fb::zoo
