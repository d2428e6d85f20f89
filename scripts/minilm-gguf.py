"""Converts sentence-transformers' all-MiniLM-L6-v2 (a Hugging Face BertModel folder:
config.json, 1_Pooling/config.json, vocab.txt, model.safetensors in F32) into a GGUF that
llama.cpp loads as architecture `bert` with mean pooling. Needs only numpy and the `gguf`
package; follows llama.cpp's convert_hf_to_gguf.py (BertModel): WordPiece vocabulary in
phantom-space form, tensor names from gguf's map, 2-D weights in F16 except the position and
token-type embeddings, which llama.cpp adds in F32.

    python3 scripts/minilm-gguf.py MODEL_DIR OUT.gguf
"""
import json
import struct
import sys

import gguf
import numpy as np

src, out = sys.argv[1], sys.argv[2]
cfg = json.load(open(f"{src}/config.json"))
pooling = json.load(open(f"{src}/1_Pooling/config.json"))
f = open(f"{src}/model.safetensors", "rb")
header_len = struct.unpack("<Q", f.read(8))[0]
header = json.loads(f.read(header_len))


def tensor(name):
    meta = header[name]
    start, end = meta["data_offsets"]
    f.seek(8 + header_len + start)
    dtype = {"F32": np.float32, "I64": np.int64}[meta["dtype"]]
    return np.frombuffer(f.read(end - start), dtype=dtype).reshape(meta["shape"])


layers = cfg["num_hidden_layers"]
w = gguf.GGUFWriter(out, "bert")
w.add_name("all-MiniLM-L6-v2")
w.add_context_length(cfg["max_position_embeddings"])
w.add_embedding_length(cfg["hidden_size"])
w.add_feed_forward_length(cfg["intermediate_size"])
w.add_block_count(layers)
w.add_head_count(cfg["num_attention_heads"])
w.add_layer_norm_eps(cfg["layer_norm_eps"])
w.add_causal_attention(False)
w.add_pooling_type(gguf.PoolingType.MEAN if pooling["pooling_mode_mean_tokens"] else gguf.PoolingType.CLS)
w.add_file_type(gguf.LlamaFileType.MOSTLY_F16)

special = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
tokens, types = [], []
for t in (line.rstrip("\n") for line in open(f"{src}/vocab.txt", encoding="utf-8")):
    if t in special:
        tokens.append(t)
        types.append(gguf.TokenType.CONTROL)
    else:
        tokens.append(t[2:] if t.startswith("##") else "\u2581" + t)
        types.append(gguf.TokenType.NORMAL)
w.add_token_type_count(cfg.get("type_vocab_size", 2))
w.add_tokenizer_model("bert")
w.add_tokenizer_pre("bert-bge")
w.add_token_list(tokens)
w.add_token_types(types)
gguf.SpecialVocab(src, n_vocab=len(tokens)).add_to_gguf(w)

names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.BERT, layers)
for name in header:
    if name in ("__metadata__", "embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias"):
        continue
    new = names.get_name(name, try_suffixes=(".weight", ".bias"))
    if new is None:
        sys.exit(f"no GGUF name for tensor {name}")
    a = tensor(name)
    if a.ndim == 2 and new.endswith(".weight") and not any(k in new for k in ("position_embd", "token_types")):
        a = a.astype(np.float16)
    w.add_tensor(new, np.ascontiguousarray(a))
w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
