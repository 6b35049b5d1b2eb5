"""Tests of IATI activity XML in and out."""
