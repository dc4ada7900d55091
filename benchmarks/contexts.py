"""The NER reading only ``doc.spans["org_contexts"]`` against reading every token.

    python benchmarks/contexts.py

On the 245 annotated texts (``annotations/``), with the shipped pipeline: on how many texts
the entities lawie keeps are the same both ways, how many names differ, and the NER's CPU
time each way (best of three).
"""

from __future__ import annotations

import time

import lawie
from lawie.pipeline.extensions import CONTEXTS_KEY
from lawie.train.value_accuracy import load


def main() -> None:
    nlp = lawie.load()
    ner, merge = nlp.get_pipe("ner"), nlp.get_pipe("lawie_entities")
    before = [name for name, _ in nlp.pipeline[: nlp.pipe_names.index("ner")]]

    def up_to_ner(text: str, whole: bool):
        doc = nlp.make_doc(text)
        for name in before:
            doc = nlp.get_pipe(name)(doc)
        if whole:
            del doc.spans[CONTEXTS_KEY]  # without the key the NER reads every token
        return doc

    texts = [record["text"] for record in load()]
    kept, seconds = {}, {}
    for whole in (False, True):
        docs = [up_to_ner(text, whole) for text in texts]
        best = float("inf")
        for _ in range(3):
            copies = [doc.copy() for doc in docs]
            t0 = time.process_time()
            done = [ner(doc) for doc in copies]
            best = min(best, time.process_time() - t0)
        seconds[whole] = best
        kept[whole] = [{(e.start_char, e.end_char, e.label_) for e in merge(doc).ents} for doc in done]
    same = sum(a == b for a, b in zip(kept[False], kept[True]))
    differ = sum(len(a ^ b) for a, b in zip(kept[False], kept[True]))
    names = sum(len(b) for b in kept[True])
    print(f"{len(texts)} texts: the same entities on {same}; {differ} of {names} entities differ")
    print(f"NER CPU time: contexts {seconds[False]:.2f} s, whole {seconds[True]:.2f} s (best of 3)")


if __name__ == "__main__":
    main()
