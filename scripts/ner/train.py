"""Train the Commonplace entity model from ../shared data (GMB + GUM news train split).

    python -m scripts.ner.train [--max-steps N] [--out resources/ner/model]

Steps: build gazetteer (resources/ner/gazetteer.json) -> convert corpora to DocBin in
build/ner/ -> `spacy train scripts/ner/config.cfg` -> copy model-best to resources/ner/model
(without the training config's paths). Training data never enters the repository.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "build", "ner")


def to_docbin(nlp, examples, path: str) -> tuple[int, int]:
    from spacy.tokens import DocBin

    db = DocBin(store_user_data=False)
    n_ents = dropped = 0
    for text, spans, _ in examples:
        doc = nlp.make_doc(text)
        ents = []
        last = -1
        for s, e, lab in sorted(spans):
            sp = doc.char_span(s, e, label=lab, alignment_mode="contract")
            if sp is None or sp.start < last or len(sp) == 0:
                dropped += 1
                continue
            ents.append(sp)
            last = sp.end
        doc.ents = ents
        n_ents += len(ents)
        db.add(doc)
    db.to_disk(path)
    return n_ents, dropped


def augment_names(examples, rate: float, seed: int = 5):
    """Replace PERSON names in a share of the examples by census names (public domain),
    so the model learns name *contexts* rather than the few thousand names in GMB."""
    import names as names_pkg

    d = os.path.dirname(names_pkg.__file__)

    def load(f, n):
        with open(os.path.join(d, f), encoding="ascii") as fh:
            return [ln.split()[0].capitalize() for ln in fh if ln.strip()][:n]

    firsts = load("dist.male.first", 800) + load("dist.female.first", 1500)
    lasts = load("dist.all.last", 20000)
    rnd = random.Random(seed)
    out = []
    for text, spans, did in examples:
        if not any(lab == "PERSON" for _, _, lab in spans) or rnd.random() > rate:
            out.append((text, spans, did))
            continue
        new_text, new_spans, pos, shift = [], [], 0, 0
        for s, e, lab in sorted(spans):
            new_text.append(text[pos:s])
            frag = text[s:e]
            if lab == "PERSON":
                n = len(frag.split())
                if n == 1:
                    frag = rnd.choice(lasts)
                elif n == 2:
                    frag = f"{rnd.choice(firsts)} {rnd.choice(lasts)}"
                else:
                    frag = f"{rnd.choice(firsts)} {rnd.choice(firsts)} {rnd.choice(lasts)}"
            new_spans.append((s + shift, s + shift + len(frag), lab))
            shift += len(frag) - (e - s)
            new_text.append(frag)
            pos = e
        new_text.append(text[pos:])
        out.append(("".join(new_text), new_spans, did))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-steps", type=int, default=None)
    ap.add_argument("--out", default=os.path.join(ROOT, "resources", "ner", "model"))
    ap.add_argument("--gum-repeat", type=int, default=3)
    ap.add_argument("--augment-names", type=float, default=0.0)  # 0.3 = model v3 (not shipped)
    ap.add_argument("--gum-more-repeat", type=int, default=1)  # 0 = model v2 (without ner-gum-more)
    ap.add_argument("--skip-gazetteer", action="store_true", help="keep gazetteer.json as it is")
    args = ap.parse_args()

    import spacy

    sys.path.insert(0, ROOT)
    from scripts.ner import data, gazetteer_build

    if not args.skip_gazetteer:
        gazetteer_build.main()
    os.makedirs(BUILD, exist_ok=True)
    nlp = spacy.blank("en")
    gmb = list(data.read_gmb())
    random.Random(13).shuffle(gmb)
    dev_gmb, train_gmb = gmb[:1500], gmb[1500:]
    gum_train = list(data.read_gum("train"))
    gum_dev = list(data.read_gum("dev"))
    gum_more = list(data.read_gum_more())
    train = (augment_names(train_gmb, args.augment_names) + gum_train * args.gum_repeat
             + gum_more * args.gum_more_repeat)
    random.Random(7).shuffle(train)
    print("train:", to_docbin(nlp, train, os.path.join(BUILD, "train.spacy")), len(train))
    print("dev:", to_docbin(nlp, dev_gmb + gum_dev, os.path.join(BUILD, "dev.spacy")))

    cmd = [sys.executable, "-m", "spacy", "train", os.path.join(ROOT, "scripts", "ner", "config.cfg"),
           "--output", os.path.join(BUILD, "out"),
           "--paths.train", os.path.join(BUILD, "train.spacy"),
           "--paths.dev", os.path.join(BUILD, "dev.spacy")]
    if args.max_steps:
        cmd += ["--training.max_steps", str(args.max_steps)]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    subprocess.run(cmd, check=True, env=env)

    best = os.path.join(BUILD, "out", "model-best")
    nlp2 = spacy.load(best)
    nlp2.meta["name"] = "commonplace_ner"
    nlp2.meta["version"] = "1.0.0"
    nlp2.meta["license"] = "ODbL-1.0 (GMB-derived) + CC BY 4.0 (GUM); see resources/ner/NOTICE"
    nlp2.meta["sources"] = [
        {"name": "GMB via Kaggle ner_dataset.csv", "license": "ODbL 1.0 / DbCL 1.0"},
        {"name": "GUM news (Wikinews)", "license": "CC BY 2.5 texts, CC BY 4.0 annotations"},
    ]
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    nlp2.to_disk(args.out)
    # the training config's paths point into build/; drop them from the shipped copy
    cfg = os.path.join(args.out, "config.cfg")
    with open(cfg, encoding="utf-8") as f:
        text = f.read()
    for part in ("train.spacy", "dev.spacy"):
        text = text.replace(f'"{os.path.join(BUILD, part)}"', "null")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(text)
    for root, _, files in os.walk(args.out):
        for f in files:
            p = os.path.join(root, f)
            print(f"{os.path.getsize(p):>10} {os.path.relpath(p, ROOT)}")


if __name__ == "__main__":
    main()
