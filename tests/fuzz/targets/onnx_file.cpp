// The ONNX importer on arbitrary bytes, as `onnx:PATH` reads a file: parse,
// the ONNX checker, import. A model it imports must validate, cost without a
// negative number, and survive export and import again unchanged in shape.
#include <string>

#include "fuzz_target.h"
#include "graph/cost.h"
#include "interop/onnx_export.h"
#include "interop/onnx_file.h"
#include "interop/onnx_import.h"

FB_FUZZ_TARGET(onnx_file) {
  const onnx::ModelProto m = fb::onnx_io::parse_model(input, "fuzz.onnx");
  fb::onnx_io::check_model(m, "fuzz.onnx");
  fb::onnx_io::ImportedModel im = fb::onnx_io::import_model(m, "fuzz");
  fb::validate(im.graph);
  const fb::GraphCost c = fb::cost_of(im.graph);
  if (c.total.macs < 0 || c.total.params < 0) fb::fuzz::violated("negative cost of an imported model");
  // Shapes this large would make export copy gigabytes; the round trip is for the small ones.
  if (c.total.params > (int64_t{1} << 24)) return;
  const fb::onnx_io::ImportedModel again =
      fb::onnx_io::import_model(fb::onnx_io::export_model(im.graph, im.weights), "again");
  if (again.graph.nodes.size() != im.graph.nodes.size() || again.graph.output_shape() != im.graph.output_shape())
    fb::fuzz::violated("export then import changed the imported graph");
}
