#pragma once
// The study's experiments as built-in sweeps; docs/study.md says what each
// measures and why its sizes were chosen.
#include <string>
#include <vector>

#include "study/spec.h"

namespace fb::study {

const std::vector<std::string>& preset_names();  // depth, width, cache, zoo, ablation, peers, precision, paper, quick
bool is_preset(const std::string& name);
SweepSpec preset(const std::string& name);  // UsageError listing the presets for an unknown name

// Shared by presets and specs: the six design patterns and the study's zoo.
const std::vector<std::string>& study_patterns();
const std::vector<std::string>& study_zoo();

}  // namespace fb::study
