"""Layout: find the report's table regions and split them into rows of label and value tokens."""
