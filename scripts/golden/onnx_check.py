#!/usr/bin/python3
"""Checks exported ONNX models with the ONNX project's own checker (onnx 1.12, Debian python3-onnx).

Run:  /usr/bin/python3 scripts/golden/onnx_check.py model.onnx [more.onnx ...]
      /usr/bin/python3 scripts/golden/onnx_check.py --schema
The first form prints one JSON object per model: {"path", "ok", "error", "ir_version", "opsets"} after
onnx.checker.check_model(model, full_check=True) (which also runs strict shape inference); it exits 0
either way, so the caller sees every model's verdict. The second prints the field numbers and types of
every message and enum in onnx's generated onnx-ml descriptor, for comparison with the schema vendored in
pipeline/onnx/onnx.proto3. Called by pipeline/onnx/checker.test.ts; nothing is written to disk.
"""

import json
import sys

import onnx
from google.protobuf.descriptor import FieldDescriptor
from onnx import onnx_ml_pb2

SCALARS = {
    FieldDescriptor.TYPE_INT64: "int64",
    FieldDescriptor.TYPE_INT32: "int32",
    FieldDescriptor.TYPE_UINT64: "uint64",
    FieldDescriptor.TYPE_STRING: "string",
    FieldDescriptor.TYPE_BYTES: "bytes",
    FieldDescriptor.TYPE_FLOAT: "float",
    FieldDescriptor.TYPE_DOUBLE: "double",
}


def field_type(field):
    named = field.message_type or field.enum_type
    return named.name if named is not None else SCALARS[field.type]


def schema():
    """{"Message.Nested": {"field": [number, type, repeated]}, "Enum": {"NAME": value}}."""
    out = {}

    def enums(owner, prefix):
        for enum in owner:
            out[prefix + enum.name] = {v.name: v.number for v in enum.values}

    def messages(owner, prefix):
        for message in owner:
            key = prefix + message.name
            out[key] = {
                f.name: [f.number, field_type(f), f.label == FieldDescriptor.LABEL_REPEATED] for f in message.fields
            }
            enums(message.enum_types, key + ".")
            messages(message.nested_types, key + ".")

    messages(onnx_ml_pb2.DESCRIPTOR.message_types_by_name.values(), "")
    enums(onnx_ml_pb2.DESCRIPTOR.enum_types_by_name.values(), "")
    return out


def check(path):
    result = {"path": path, "ok": False, "error": None, "ir_version": None, "opsets": None}
    try:
        model = onnx.load(path)
        result["ir_version"] = model.ir_version
        result["opsets"] = {o.domain or "ai.onnx": o.version for o in model.opset_import}
        onnx.checker.check_model(model, full_check=True)
        result["ok"] = True
    except Exception as err:  # every checker failure is reported, not raised
        result["error"] = f"{type(err).__name__}: {err}"
    return result


def main(argv):
    if argv == ["--schema"]:
        print(json.dumps({"onnx": onnx.__version__, "schema": schema()}))
        return 0
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    for path in argv:
        print(json.dumps(check(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
