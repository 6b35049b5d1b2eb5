"""Kazakhstan Project Atlas: the library behind the app."""
