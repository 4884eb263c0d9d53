#pragma once
// Memory layouts: naming oneDNN's chosen descriptors, building "the same
// layout at other dimensions", and spotting reference implementations.
#include <oneapi/dnnl/dnnl.hpp>

#include <string>
#include <vector>

#include "graph/shape.h"

namespace fb::onednn {

using md = dnnl::memory::desc;
using tag = dnnl::memory::format_tag;

dnnl::memory::dims dims_of(const Shape& s);
// Plain row-major layout for a rank (nchw for 4, nc for 2).
tag plain_tag(int rank);
md plain_md(const Shape& s);
md md_of(const Shape& s, tag t);

// The format tag that describes d, if it is one of the common ones; else tag::undef.
tag tag_of(const md& d);
// Readable layout name: "nChw16c", "OIhw16i16o", or "opaque" for other blocked forms.
std::string layout_name(const md& d);
// d's layout at other dims (pool outputs, pads, slices); plain if d's layout is unnamed.
md same_layout(const md& d, const Shape& s);

// oneDNN names its slow, always-available kernels "ref:..."; the engine never
// keeps one while another layout has a real kernel.
bool is_reference_impl(const std::string& impl);

}  // namespace fb::onednn
