#pragma once
// The arithmetic a backend runs a network in (the run field precision=).
// The network's input and output stay fp32 at every precision: a reduced
// precision is the engine's business, converted at its edges.
#include <string>
#include <vector>

namespace fb {

enum class Precision { fp32, bf16, int8 };

const char* precision_name(Precision p);  // "fp32", "bf16", "int8"
// UsageError for anything but fp32, bf16 and int8, naming them.
Precision parse_precision(const std::string& name);
// Every precision, in the order tables list them (fp32 first: the baseline).
const std::vector<Precision>& all_precisions();

// Bytes of one activation element at p (int8: one byte, whatever its sign).
int element_bytes(Precision p);

}  // namespace fb
