#include "Stagecraft/pb.h"

#include <cstring>

namespace stagecraft::pb {

std::string DecodeError::describe() const {
  return path + " at byte " + std::to_string(offset) + ": " + message;
}

bool Reader::varint(uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= size_) {
      why_ = "varint runs past the end";
      return false;
    }
    const uint8_t b = data_[pos_++];
    v |= uint64_t(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  why_ = "varint longer than 10 bytes";
  return false;
}

bool Reader::tag(uint32_t& field, WireType& type) {
  uint64_t v;
  if (!varint(v)) return false;
  if (v > 0xffffffffULL || (v >> 3) == 0) {
    why_ = "field number out of range";
    return false;
  }
  const uint8_t t = uint8_t(v & 7);
  if (t != 0 && t != 1 && t != 2 && t != 5) {
    why_ = "unsupported wire type (groups or a reserved type)";
    return false;
  }
  field = uint32_t(v >> 3);
  type = WireType(t);
  return true;
}

bool Reader::fixed32(uint32_t& v) {
  if (size_ - pos_ < 4) {
    why_ = "fixed32 runs past the end";
    return false;
  }
  v = uint32_t(data_[pos_]) | uint32_t(data_[pos_ + 1]) << 8 | uint32_t(data_[pos_ + 2]) << 16 |
      uint32_t(data_[pos_ + 3]) << 24;
  pos_ += 4;
  return true;
}

bool Reader::fixed64(uint64_t& v) {
  if (size_ - pos_ < 8) {
    why_ = "fixed64 runs past the end";
    return false;
  }
  v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | data_[pos_ + size_t(i)];
  pos_ += 8;
  return true;
}

bool Reader::bytes(const uint8_t*& p, size_t& n) {
  uint64_t len;
  if (!varint(len)) return false;
  if (len > size_ - pos_) {
    why_ = "length runs past the end";
    return false;
  }
  p = data_ + pos_;
  n = size_t(len);
  pos_ += n;
  return true;
}

bool Reader::skip(WireType type) {
  uint64_t v;
  uint32_t v32;
  const uint8_t* p;
  size_t n;
  switch (type) {
    case WireType::Varint: return varint(v);
    case WireType::Fixed64: return fixed64(v);
    case WireType::Fixed32: return fixed32(v32);
    case WireType::Len: return bytes(p, n);
  }
  why_ = "unsupported wire type";
  return false;
}

size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

void Writer::varint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(uint8_t(v) | 0x80);
    v >>= 7;
  }
  out_.push_back(uint8_t(v));
}

void Writer::fixed32(uint32_t v) {
  for (int i = 0; i < 4; ++i) out_.push_back(uint8_t(v >> (8 * i)));
}

void Writer::fixed64(uint64_t v) {
  for (int i = 0; i < 8; ++i) out_.push_back(uint8_t(v >> (8 * i)));
}

void Writer::bytes(const uint8_t* p, size_t n) {
  varint(n);
  out_.insert(out_.end(), p, p + n);
}

// A submessage's length is not known until it is written: reserve one byte, write the body, then
// widen the prefix in place when the body needed a longer varint.
size_t Writer::begin_len() {
  out_.push_back(0);
  return out_.size();
}

void Writer::end_len(size_t mark) {
  const size_t len = out_.size() - mark;
  const size_t width = varint_size(len);
  if (width > 1) out_.insert(out_.begin() + std::ptrdiff_t(mark), width - 1, 0);
  uint8_t* p = out_.data() + mark - 1;
  uint64_t v = len;
  for (size_t i = 0; i < width; ++i) {
    p[i] = uint8_t(v & 0x7f) | (i + 1 < width ? 0x80 : 0);
    v >>= 7;
  }
}

}  // namespace stagecraft::pb
