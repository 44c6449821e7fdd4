# Drawn by the replicate harness; run `gnuplot adjacent-cosine.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Cosine of adjacent documents: random order vs ICP order (EC)"
set xlabel "adjacent-pair cosine (bin of width 0.05)"
set ylabel "fraction of adjacent pairs"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'adjacent-cosine.png'
plot 'adjacent-cosine.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "random", \
     'adjacent-cosine.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ICP"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'adjacent-cosine.svg'
plot 'adjacent-cosine.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "random", \
     'adjacent-cosine.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ICP"
unset output
