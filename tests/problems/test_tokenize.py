from problems.search.tokenize import stem, token_string, tokenize, unique_terms


def test_latin_text_becomes_lower_case_stems_without_stop_words():
    assert tokenize("Outlook stuck on 'Updating inbox'") == ["outlook", "stuck", "updat", "inbox"]
    assert tokenize("outlook hangs updating my inbox") == ["outlook", "hang", "updat", "inbox"]
    assert tokenize("Printer jammed, jams, jamming") == ["printer", "jam", "jam", "jam"]
    assert tokenize("No Wi-Fi on floor 3; E-mails bounce") == ["wifi", "floor", "3", "email", "bounc"]


def test_stems_merge_common_forms():
    assert stem("disconnects") == stem("disconnecting") == stem("disconnected") == "disconnect"
    assert stem("updates") == stem("updated") == stem("update") == "updat"
    assert stem("passwords") == "password" and stem("access") == "access" and stem("status") == "status"


def test_chinese_runs_become_bigrams_and_single_characters_stay():
    assert tokenize("VPN 连接频繁断开") == ["vpn", "连接", "接频", "频繁", "繁断", "断开"]
    # Mixed scripts without spaces; 老是 (always) is a stop bigram.
    assert tokenize("vpn老是掉线断开") == ["vpn", "是掉", "掉线", "线断", "断开"]
    assert tokenize("网 慢") == ["网", "慢"]
    assert tokenize("ｖｐｎ断") == ["vpn", "断"]  # full-width Latin is normalised


def test_token_string_is_framed_for_whole_token_matching():
    assert token_string("VPN down") == " vpn "
    assert token_string("the of and") == ""
    assert unique_terms("vpn VPN vpn drops") == ["vpn", "drop"]
