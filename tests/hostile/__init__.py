"""The adversarial suite: hostile inputs, crashes, a failing network, leaked secrets."""
