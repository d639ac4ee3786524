from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # No fuzzy guesses: a new string must be translated, not silently given a similar string's text.
    msgmerge_options = ["-q", "--backup=none", "--previous", "--update", "--no-fuzzy-matching"]
