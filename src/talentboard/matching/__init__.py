"""Matching: development opportunities, vacancy shortlists and buddying, with reasons.

Pure functions over frames (``docs/matching.md`` states every definition):

- :mod:`~talentboard.matching.inputs`: the round's input frames from register and talent
  frames (candidates, offers, experience, aspirations);
- :mod:`~talentboard.matching.eligibility`: the five rules of DESIGN section 7, each with
  its words, and the eligible pairs;
- :mod:`~talentboard.matching.scoring`: the score terms in whole points;
- :mod:`~talentboard.matching.assignment`: the exact optimiser, with the optional side
  constraints;
- :mod:`~talentboard.matching.opportunities`: one round, ``match_opportunities``;
  :mod:`~talentboard.matching.outcomes` and :mod:`~talentboard.matching.explain` put it
  in words;
- :mod:`~talentboard.matching.vacancy`: vacancy shortlists;
- :mod:`~talentboard.matching.buddying`: buddy pairings.

:mod:`~talentboard.matching.services` reads the database and stores runs through
:mod:`~talentboard.matching.store`; the CLI and the web app call those.
"""
