#pragma once
// Memory layouts and data types: naming oneDNN's chosen descriptors,
// building "the same layout at other dimensions (or another data type)",
// and spotting reference implementations.
#include <oneapi/dnnl/dnnl.hpp>

#include <string>
#include <vector>

#include "graph/shape.h"

namespace fb::onednn {

using md = dnnl::memory::desc;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

dnnl::memory::dims dims_of(const Shape& s);
// Plain row-major layout for a rank (nchw for 4, nc for 2).
tag plain_tag(int rank);
md plain_md(const Shape& s, dt type = dt::f32);
md md_of(const Shape& s, tag t, dt type = dt::f32);
// d's layout holding `type` instead (a named layout; plain if d's is unnamed).
md with_type(const md& d, dt type);
// u8 or s8: a quantised tensor, whose values carry a scale (value_table.h).
inline bool is_int8(const md& d) { return d.data_type() == dt::u8 || d.data_type() == dt::s8; }

// The format tag that describes d, if it is one of the common ones; else tag::undef.
tag tag_of(const md& d);
// Readable layout name: "nChw16c", "OIhw16i16o", or "opaque" for other blocked
// forms; with ":bf16", ":s8", ":u8" or ":s32" after it when not fp32.
std::string layout_name(const md& d);
// d's layout and data type at other dims (pool outputs, pads, slices); plain if d's layout is unnamed.
md same_layout(const md& d, const Shape& s);

// oneDNN names its slow, always-available kernels "ref:..."; the engine never
// keeps one while another layout has a real kernel.
bool is_reference_impl(const std::string& impl);

}  // namespace fb::onednn
