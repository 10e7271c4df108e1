// A small JSON writer for the protobuf JSON form: commas between members, escaped strings,
// shortest round-trip numbers, standard base64 for bytes.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace stagecraft::wire {

class JsonWriter {
 public:
  void open() { begin('{'); }
  void close() { end('}'); }
  void open_array() { begin('['); }
  void close_array() { end(']'); }
  void key(const std::string& k) {
    comma();
    quote(k);
    out_ += ':';
    after_key_ = true;
  }
  void value(const std::string& s) {
    comma();
    quote(s);
  }
  void value(bool b) {
    comma();
    out_ += b ? "true" : "false";
  }
  void value(uint32_t v) {
    comma();
    out_ += std::to_string(v);
  }
  void value(double d);
  void value(float f) { value(double(f)); }
  void value(const std::vector<uint8_t>& bytes);
  void enum_value(const char* name, int32_t number) {
    if (name) {
      value(std::string(name));
    } else {
      comma();
      out_ += std::to_string(number);
    }
  }
  std::string take() { return std::move(out_); }

 private:
  void begin(char c) {
    comma();
    out_ += c;
    first_ = true;
  }
  void end(char c) {
    out_ += c;
    first_ = false;
  }
  void comma() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_ && !out_.empty()) out_ += ',';
    first_ = false;
  }
  void quote(const std::string& s);

  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace stagecraft::wire
