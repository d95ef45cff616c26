"""Test helpers for the avatar bridge: real servers on loopback, FakeRasa, a protocol client."""
