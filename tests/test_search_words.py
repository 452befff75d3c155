"""countybook.render.search_words: the registry's Chinese names kept whole in the Chinese search index."""

from __future__ import annotations

import logging

import pytest

from countybook.data import load
from countybook.render import search_words


@pytest.fixture(scope="module")
def ds():
    return load()


def test_names_aliases_and_glossary_terms_are_words_without_latin_or_punctuation(ds):
    words = search_words.words(ds)
    assert "规上工业总产值" in words  # a name
    assert "规上工业产值" in words  # an alias of it
    assert "专精特新" in words  # a glossary term
    assert all(len(word) > 1 and word.isalpha() and not word.isascii() for word in words)
    assert words == sorted(set(words))


def test_jieba_with_the_words_indexes_a_name_whole_so_a_part_of_it_is_found(ds, tmp_path):
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(logging.ERROR)
    tokenizer = jieba.Tokenizer()
    sentence = "全年规上工业总产值同比增长"
    assert "规上工业总产值" not in tokenizer.cut_for_search(sentence)
    tokenizer.load_userdict(str(search_words.write(ds, tmp_path)))
    tokens = list(tokenizer.cut_for_search(sentence))
    # Sphinx's search finds a query inside an index term: 规上工业 is inside the whole name.
    assert "规上工业总产值" in tokens and any("规上工业" in token for token in tokens)
