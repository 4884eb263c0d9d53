#pragma once
// /proc/cpuinfo as text and what formbench reads from it: the machine's
// identity (study/machine), the record's environment (measure/environment)
// and the ISA a backend adapts to (torch int8's reduced range). One parser,
// taking the text, so tests can hand it another CPU's.
#include <set>
#include <string>

namespace fb {

// The whole of /proc/cpuinfo; empty where it cannot be read.
std::string read_cpuinfo();

// The first value of `key` (exactly, before the colon) in cpuinfo text: the
// first processor's. Empty where the key is absent.
std::string cpuinfo_value(const std::string& cpuinfo, const std::string& key);

// The first processor's "flags", one entry each.
std::set<std::string> cpu_flags(const std::string& cpuinfo);

}  // namespace fb
