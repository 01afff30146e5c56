#!/bin/sh
exec "${srcdir:-.}/tests/e2e.sh" tests/e2e examples
