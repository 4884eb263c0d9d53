#include "backends/onednn/layout.h"

namespace fb::onednn {
namespace {

struct Named {
  tag t;
  const char* name;
};
// Activation and weight layouts oneDNN picks on x86 for fp32.
constexpr Named kTags[] = {
    {tag::nchw, "nchw"},           {tag::nhwc, "nhwc"},           {tag::nChw16c, "nChw16c"},
    {tag::nChw8c, "nChw8c"},       {tag::nChw4c, "nChw4c"},       {tag::nc, "nc"},
    {tag::x, "x"},                 {tag::oihw, "oihw"},           {tag::ohwi, "ohwi"},
    {tag::hwio, "hwio"},           {tag::OIhw16i16o, "OIhw16i16o"}, {tag::OIhw8i8o, "OIhw8i8o"},
    {tag::Ohwi16o, "Ohwi16o"},     {tag::Ohwi8o, "Ohwi8o"},       {tag::OIhw16o16i, "OIhw16o16i"},
    {tag::goihw, "goihw"},         {tag::Goihw16g, "Goihw16g"},   {tag::Goihw8g, "Goihw8g"},
    {tag::gOIhw16i16o, "gOIhw16i16o"}, {tag::gOIhw8i8o, "gOIhw8i8o"}, {tag::gOhwi16o, "gOhwi16o"},
    {tag::gOhwi8o, "gOhwi8o"},     {tag::oi, "oi"},               {tag::io, "io"},
    {tag::Goihw4g, "Goihw4g"},
};

}  // namespace

dnnl::memory::dims dims_of(const Shape& s) { return dnnl::memory::dims(s.dims.begin(), s.dims.end()); }

tag plain_tag(int rank) {
  switch (rank) {
    case 1: return tag::a;
    case 2: return tag::ab;
    case 3: return tag::abc;
    case 4: return tag::abcd;
    default: return tag::abcde;
  }
}

md plain_md(const Shape& s, dt type) { return md_of(s, plain_tag(s.rank()), type); }
md md_of(const Shape& s, tag t, dt type) { return md(dims_of(s), type, t); }

md with_type(const md& d, dt type) {
  const Shape s(d.dims());
  const tag t = tag_of(d);
  return t == tag::undef ? plain_md(s, type) : md_of(s, t, type);
}

tag tag_of(const md& d) {
  for (const auto& n : kTags) {
    try {
      if (md(d.dims(), d.data_type(), n.t) == d) return n.t;
    } catch (const dnnl::error&) {  // tag of another rank
    }
  }
  return tag::undef;
}

std::string layout_name(const md& d) {
  const tag t = tag_of(d);
  std::string name = "opaque";
  for (const auto& n : kTags)  // the first name of a tag: nhwc and ohwi are one format
    if (n.t == t) {
      name = n.name;
      break;
    }
  switch (d.data_type()) {
    case dt::bf16: return name + ":bf16";
    case dt::s8: return name + ":s8";
    case dt::u8: return name + ":u8";
    case dt::s32: return name + ":s32";
    default: return name;
  }
}

md same_layout(const md& d, const Shape& s) {
  const tag t = tag_of(d);
  if (t == tag::undef || static_cast<int>(d.dims().size()) != s.rank()) return plain_md(s, d.data_type());
  return md_of(s, t, d.data_type());
}

bool is_reference_impl(const std::string& impl) { return impl.rfind("ref", 0) == 0; }

}  // namespace fb::onednn
