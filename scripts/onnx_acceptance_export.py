"""Exports torchvision networks to ONNX the way users do, for the acceptance
check of the ONNX importer (scripts/onnx_acceptance.sh, docs/onnx.md).

Random weights (nothing is downloaded), with non-trivial batch-norm
statistics; opset 13 with constant folding; in eval mode. Writes, per network,
NAME.onnx, NAME_input.npy (the input) and NAME_torch.npy (PyTorch's output).
Needs Debian's python3-torch, python3-torchvision and python3-numpy.
"""
import sys

import numpy
import torch
import torchvision

NETWORKS = {
    "resnet50": (lambda: torchvision.models.resnet50(), 224),
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(), 224),
    "inception_v3": (lambda: torchvision.models.inception_v3(aux_logits=False, init_weights=True), 299),
}


def randomise_batch_norm(model):
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.weight.data.uniform_(0.5, 1.0)
            m.bias.data.uniform_(-0.1, 0.1)
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)


def main(out_dir, names):
    torch.manual_seed(0)
    for name in names:
        make, res = NETWORKS[name]
        model = make().eval()
        randomise_batch_norm(model)
        x = torch.rand(1, 3, res, res) * 2 - 1
        with torch.no_grad():
            y = model(x)
        torch.onnx.export(model, x, f"{out_dir}/{name}.onnx", opset_version=13, do_constant_folding=True,
                          input_names=["input"], output_names=["output"])
        numpy.save(f"{out_dir}/{name}_input.npy", x.numpy().astype(numpy.float32))
        numpy.save(f"{out_dir}/{name}_torch.npy", y.numpy().astype(numpy.float32))
        print(f"exported {name}: input {tuple(x.shape)}, output {tuple(y.shape)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or list(NETWORKS))
