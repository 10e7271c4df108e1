#include "json_writer.h"

namespace stagecraft::wire {

void JsonWriter::value(double d) {
  comma();
  if (std::isnan(d)) {
    out_ += "\"NaN\"";
  } else if (std::isinf(d)) {
    out_ += d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, d);
    out_.append(buf, res.ptr);
  }
}

void JsonWriter::value(const std::vector<uint8_t>& bytes) {
  static const char* const kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  comma();
  out_ += '"';
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = uint32_t(bytes[i]) << 16 | uint32_t(bytes[i + 1]) << 8 | bytes[i + 2];
    for (int k = 18; k >= 0; k -= 6) out_ += kAlphabet[(v >> k) & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = uint32_t(bytes[i]) << 16;
    out_ += kAlphabet[(v >> 18) & 63];
    out_ += kAlphabet[(v >> 12) & 63];
    out_ += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = uint32_t(bytes[i]) << 16 | uint32_t(bytes[i + 1]) << 8;
    out_ += kAlphabet[(v >> 18) & 63];
    out_ += kAlphabet[(v >> 12) & 63];
    out_ += kAlphabet[(v >> 6) & 63];
    out_ += '=';
  }
  out_ += '"';
}

void JsonWriter::quote(const std::string& s) {
  static const char* const kHex = "0123456789abcdef";
  out_ += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += ch;
    } else if (c == '\n') {
      out_ += "\\n";
    } else if (c == '\t') {
      out_ += "\\t";
    } else if (c == '\r') {
      out_ += "\\r";
    } else if (c < 0x20) {
      out_ += "\\u00";
      out_ += kHex[c >> 4];
      out_ += kHex[c & 15];
    } else {
      out_ += ch;
    }
  }
  out_ += '"';
}

}  // namespace stagecraft::wire
