"""The Streamlit pages (one module per page) and their shared helpers; no engine logic here."""
