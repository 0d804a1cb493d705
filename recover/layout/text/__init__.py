"""Layout of text: a report's table sections (their headings) and their rows of label and value tokens."""
