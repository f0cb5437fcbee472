"""XLSForm in and out: read a workbook (``read``), turn it into a definition (``convert``,
``types``, ``vocabulary``), write a survey back (``write``), and the upload and download views
(``views``). May import what authoring may (definitions, the kernel, spreadsheets' upload
checks, the foundation); openpyxl is loaded only by the views and commands that need it."""
