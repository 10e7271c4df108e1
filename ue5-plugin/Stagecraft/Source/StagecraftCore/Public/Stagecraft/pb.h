// Protobuf wire primitives over byte spans: a bounded reader and an appending writer.
// No exceptions, no allocation in the reader; every read checks the remaining length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace stagecraft::pb {

enum class WireType : uint8_t { Varint = 0, Fixed64 = 1, Len = 2, Fixed32 = 5 };

/// Where and why decoding stopped. `path` names the message type and field, e.g.
/// `ServerMessage.face.data`; `offset` is the byte offset in the whole buffer.
struct DecodeError {
  std::string path;
  std::string message;
  size_t offset = 0;
  /// "ServerMessage.face.data at byte 12: length 300 runs past the end".
  std::string describe() const;
};

class Reader {
 public:
  Reader(const uint8_t* data, size_t size, size_t base_offset = 0)
      : data_(data), size_(size), pos_(0), base_(base_offset) {}

  bool done() const { return pos_ >= size_; }
  size_t offset() const { return base_ + pos_; }

  /// Each returns false on truncated or malformed input and leaves the reason in `why()`.
  bool tag(uint32_t& field, WireType& type);
  bool varint(uint64_t& v);
  bool fixed32(uint32_t& v);
  bool fixed64(uint64_t& v);
  /// A length-delimited field: points into the buffer, no copy.
  bool bytes(const uint8_t*& p, size_t& n);
  bool skip(WireType type);

  const char* why() const { return why_; }
  /// Marks the input as refused for a reason found above this layer (bad UTF-8, a wrong type).
  bool refuse(const char* why) {
    why_ = why;
    return false;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_;
  size_t base_;
  const char* why_ = "";
};

class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& out) : out_(out) {}
  void tag(uint32_t field, WireType type) { varint((uint64_t(field) << 3) | uint8_t(type)); }
  void varint(uint64_t v);
  void fixed32(uint32_t v);
  void fixed64(uint64_t v);
  void bytes(const uint8_t* p, size_t n);
  void string(const std::string& s) { bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }
  /// Starts a length-delimited submessage; `end_len` writes its length in front of it.
  size_t begin_len();
  void end_len(size_t mark);
  std::vector<uint8_t>& out() { return out_; }

 private:
  std::vector<uint8_t>& out_;
};

size_t varint_size(uint64_t v);

}  // namespace stagecraft::pb
