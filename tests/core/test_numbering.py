from core.services.numbering import number_next


def test_numbers_are_sequential_per_prefix(db):
    assert number_next(prefix="INC") == "INC0001001"
    assert number_next(prefix="INC") == "INC0001002"
    assert number_next(prefix="PRB") == "PRB0001001"
    assert number_next(prefix="INC") == "INC0001003"


def test_sample_tickets_get_human_numbers(db):
    from tests.ticketapp.factories import SampleTicketFactory

    first, second = SampleTicketFactory(), SampleTicketFactory()
    assert (first.number, second.number) == ("TST0001001", "TST0001002")
