"""The connectivity fund page: pots, the application queue, decisions and payments."""


def create_page(context, undo_stack):
    from peer_support.ui.fund.page import FundPage

    return FundPage(context, undo_stack)
