"""How a person is named: Vietnamese order, family name first. Accounts keep Django's fields
(last_name = họ và tên đệm, first_name = tên); `full_name` joins them the Vietnamese way, and
User.get_full_name/get_short_name answer with it (accounts.apps), so every page that names a
user (ours, viewflow's frame and 403 page, the admin's greeting, emails) says the same."""


def full_name(user) -> str:
    """'Nguyễn Thị Hồng Nhung' from last_name='Nguyễn Thị Hồng', first_name='Nhung'; '' if neither."""
    return " ".join(part.strip() for part in (user.last_name, user.first_name) if part and part.strip())


def display_name(user) -> str:
    """The full name, else the username: what a page shows for a person."""
    return full_name(user) or user.get_username()


def _get_full_name(self) -> str:
    return full_name(self)


def _get_short_name(self) -> str:
    # A ministry's pages greet a person by the full name; the given name alone ("viên" of
    # "Quản trị viên", "Nhung") reads as familiar or, cut from a title, as nonsense.
    return full_name(self)


def use_vietnamese_order(user_model) -> None:
    """Make the user model's own name methods answer in Vietnamese order. The project keeps
    auth.User (swapping the user model mid-life costs a migration of every foreign key), so the
    two methods are replaced on it, once, at start-up."""
    user_model.get_full_name = _get_full_name
    user_model.get_short_name = _get_short_name
