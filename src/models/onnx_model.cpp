#include "models/onnx_model.h"

#include <map>
#include <memory>
#include <mutex>

#include "common/error.h"
#include "interop/onnx_file.h"
#include "interop/onnx_import.h"

namespace fb {

bool is_onnx_model(const std::string& name) { return name.rfind(kOnnxPrefix, 0) == 0; }

const ModelDef& onnx_model(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<ModelDef>> loaded;  // ModelSpec keeps pointers: never erased
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = loaded.find(name); it != loaded.end()) return *it->second;
  const std::string path = name.substr(kOnnxPrefix.size());
  if (path.empty()) throw UsageError("'" + name + "': say which file, e.g. onnx:model.onnx");
  auto imported = std::make_shared<const onnx_io::ImportedModel>(
      onnx_io::import_model(onnx_io::read_model(path), path));
  auto def = std::make_unique<ModelDef>();
  def->name = name;
  def->family = "onnx";
  def->summary = "imported from " + path;
  def->file = path;
  def->build = [imported](const ModelSpec&, int64_t batch) { return onnx_io::rebatch(imported->graph, batch); };
  def->weights = [imported](const Graph&, uint64_t) { return imported->weights; };
  return *loaded.emplace(name, std::move(def)).first->second;
}

}  // namespace fb
