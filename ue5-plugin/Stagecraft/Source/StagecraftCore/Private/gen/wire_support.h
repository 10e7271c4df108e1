// Helpers the generated codec calls: error paths, bounded submessage readers, UTF-8 checks.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "Stagecraft/pb.h"

namespace stagecraft::wire {

inline bool fail(pb::DecodeError& e, const pb::Reader& r, const char* field) {
  e.path = field;
  e.message = r.why();
  e.offset = r.offset();
  return false;
}

inline bool wrong_type(pb::DecodeError& e, const pb::Reader& r, const char* field) {
  e.path = field;
  e.message = "wrong wire type for this field";
  e.offset = r.offset();
  return false;
}

// The error came from inside a submessage: put the field that holds it in front of its path.
inline bool nest(pb::DecodeError& e, const std::string& field) {
  e.path = e.path.empty() ? field : field + "." + e.path;
  return false;
}

inline std::string indexed(const char* field, size_t i) { return std::string(field) + "[" + std::to_string(i) + "]"; }

inline bool open(pb::Reader& r, pb::Reader& sub) {
  const uint8_t* p;
  size_t n;
  if (!r.bytes(p, n)) return false;
  sub = pb::Reader(p, n, r.offset() - n);
  return true;
}

bool valid_utf8(const uint8_t* p, size_t n);

inline bool read_string(pb::Reader& r, std::string& out) {
  const uint8_t* p;
  size_t n;
  if (!r.bytes(p, n)) return false;
  if (!valid_utf8(p, n)) return r.refuse("string is not valid UTF-8");
  out.assign(reinterpret_cast<const char*>(p), n);
  return true;
}

inline bool read_bytes(pb::Reader& r, std::vector<uint8_t>& out) {
  const uint8_t* p;
  size_t n;
  if (!r.bytes(p, n)) return false;
  out.assign(p, p + n);
  return true;
}

inline double as_double(uint64_t v) {
  double d;
  std::memcpy(&d, &v, 8);
  return d;
}
inline float as_float(uint32_t v) {
  float f;
  std::memcpy(&f, &v, 4);
  return f;
}
inline uint64_t double_bits(double d) {
  uint64_t v;
  std::memcpy(&v, &d, 8);
  return v;
}
inline uint32_t float_bits(float f) {
  uint32_t v;
  std::memcpy(&v, &f, 4);
  return v;
}

inline bool read_value(pb::Reader& r, pb::WireType t, std::string& out) {
  return t == pb::WireType::Len ? read_string(r, out) : r.refuse("map value has the wrong wire type");
}
inline bool read_value(pb::Reader& r, pb::WireType t, double& out) {
  uint64_t v;
  if (t != pb::WireType::Fixed64) return r.refuse("map value has the wrong wire type");
  if (!r.fixed64(v)) return false;
  out = as_double(v);
  return true;
}

// A map entry: key = 1 (string), value = 2; either may be absent (then it is the default).
template <typename V>
bool read_entry(pb::Reader& r, std::string& key, V& value) {
  uint32_t field;
  pb::WireType type;
  while (!r.done()) {
    if (!r.tag(field, type)) return false;
    if (field == 1) {
      if (type != pb::WireType::Len) return r.refuse("map key has the wrong wire type");
      if (!read_string(r, key)) return false;
    } else if (field == 2) {
      if (!read_value(r, type, value)) return false;
    } else if (!r.skip(type)) {
      return false;
    }
  }
  return true;
}

}  // namespace stagecraft::wire
