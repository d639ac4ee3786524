"""Symptom words and phrases for synthetic benchmark rows, in English and Chinese, so text searches
measure realistic rows (not one repeated sentence)."""

WORDS = (
    "vpn disconnect login outlook inbox printer jam wifi signal erp invoice posting error timeout slow "
    "password expired certificate laptop battery dock monitor share permission denied mailbox full "
    "teams meeting audio camera browser crash update install licence sync calendar report export"
).split()
CHINESE = ["无法连接", "频繁断开", "打印机卡纸", "邮件发送失败", "系统很慢", "密码过期", "没有权限", "蓝屏"]


def symptom_words(rng, count: int, chinese_share: float = 0.3) -> tuple[list[str], str]:
    """`count` distinct symptom words, and a Chinese phrase for `chinese_share` of the calls ("" otherwise)."""
    return rng.sample(WORDS, count), (rng.choice(CHINESE) if rng.random() < chinese_share else "")
