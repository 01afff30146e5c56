#!/bin/sh
exec "${srcdir:-.}/tests/e2e.sh" tests/errors
